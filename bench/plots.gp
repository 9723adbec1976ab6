# The bench's plots, drawn from the data files `ww-bench run` writes:
#   gnuplot -e "datadir='bench/results/...'" bench/plots.gp
# Each plot is drawn only when its section ran.
load datadir.'/vars.gp'
has_data(f) = system("test -s '".datadir."/".f."' && echo 1 || echo 0") eq "1"

set terminal pngcairo size 960,560 noenhanced font ",10"
set key outside right top
set grid ytics

if (has_data('prog_cost_pass.dat')) {
  set output datadir.'/prog_cost.png'
  set title "Program cost, BPF_PROG_TEST_RUN (".title_text.")"
  set logscale x
  set xrange [5:20000]
  set xtics ("10" 10, "1,000" 1000, "10,000" 10000)
  set xlabel "flow rules"
  set ylabel "ns per packet"
  set yrange [0:*]
  pass = datadir.'/prog_cost_pass.dat'
  drop = datadir.'/prog_cost_drop.dat'
  plot pass u 1:2 w lp t "ipv4, 1 source", \
       pass u 1:3 w lp t "ipv4, 10k sources", \
       pass u 1:4 w lp t "ipv4, 1M sources", \
       pass u 1:7 w lp t "ipv6, 1M sources", \
       pass u 1:10 w lp t "vlan, 1M sources", \
       drop u 1:4 w lp dt 2 t "ipv4 drop-heavy, 1M", \
       empty_ns w l dt 3 lw 2 t "empty XDP", \
       parse_ns w l dt 4 lw 2 t "parse only", \
       60 w l lc rgb "red" dt 2 t "goal: 60 ns"
  unset logscale x
  unset xrange
  unset xtics
  set xtics
}

if (has_data('live.dat')) {
  set output datadir.'/live_pps.png'
  set title "Live veth traffic, processed pps, median and min-max (".title_text.")"
  set style data histogram
  set style histogram errorbars gap 1 lw 1
  set style fill solid 0.6 border -1
  set logscale y
  set yrange [100:*]
  set xlabel "traffic mix"
  set ylabel "packets per second (log)"
  plot datadir.'/live.dat' u 2:3:4:xtic(1) t "empty XDP (limit)", \
       '' u 5:6:7 t "guard", \
       '' u 8:9:10 t "nftables"
  unset logscale y
  unset style data
  set style data points
}

if (has_data('compile.dat')) {
  set output datadir.'/compile.png'
  set title "Policy compile: load + compile time and peak memory (".title_text.")"
  set logscale x
  set logscale y
  set logscale y2
  set xrange [500:200000]
  set yrange [*:*]
  set xlabel "flow rules"
  set ylabel "seconds"
  set y2label "peak RSS, MB"
  set y2tics
  set ytics nomirror
  plot datadir.'/compile.dat' u 1:2 w lp axes x1y1 t "load + compile, s", \
       '' u 1:3 w lp axes x1y2 t "peak RSS, MB"
}
