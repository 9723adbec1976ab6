# libFuzzer harnesses. A harness is one .cpp defining LLVMFuzzerTestOneInput plus one
# line in tests/fuzz/CMakeLists.txt:
#   ww_fuzz_target(NAME SOURCE LIBRARY... [SEEDS DIR...])
# Its seeds live in tests/fuzz/corpus/NAME/ (and the SEEDS directories), inputs that once crashed it in
# tests/fuzz/regressions/NAME/, and an optional libFuzzer dictionary in tests/fuzz/NAME.dict.
#
# With WW_FUZZ (clang only) the harness becomes a libFuzzer binary and a ctest (label
# `fuzz`) that fuzzes for WW_FUZZ_SECONDS from those seeds. Without it, the same harness
# is linked with a replay driver and a ctest (label `unit`) feeds it every seed and
# regression input, so the ordinary g++ build keeps them passing too.
include_guard(GLOBAL)

set(WW_FUZZ_SECONDS 30 CACHE STRING "How long each fuzz ctest fuzzes (libFuzzer -max_total_time)")

if(WW_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "WW_FUZZ needs clang: configure with CC=clang CXX=clang++")
  endif()
  # Every library a harness links is instrumented for coverage and checked by the
  # sanitizers; only the harness binaries link libFuzzer's main().
  set(WW_SANITIZERS address,undefined)
  add_compile_options(-fsanitize=fuzzer-no-link,${WW_SANITIZERS} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${WW_SANITIZERS})
  add_custom_target(ww_fuzzers)
endif()

function(ww_fuzz_target name source)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "" "SEEDS")
  set(libraries ${arg_UNPARSED_ARGUMENTS})
  set(fuzz_dir ${PROJECT_SOURCE_DIR}/tests/fuzz)
  set(seeds ${fuzz_dir}/corpus/${name})
  set(regressions ${fuzz_dir}/regressions/${name})
  if(NOT IS_DIRECTORY ${seeds})
    message(FATAL_ERROR "ww_fuzz_target(${name}): no seed corpus in ${seeds}")
  endif()
  set(inputs ${seeds} ${arg_SEEDS})
  if(IS_DIRECTORY ${regressions})
    list(APPEND inputs ${regressions})
  endif()

  if(WW_FUZZ)
    add_executable(fuzz_${name} ${source})
    target_link_libraries(fuzz_${name} PRIVATE ${libraries})
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer)
    add_dependencies(ww_fuzzers fuzz_${name})
    # libFuzzer writes what it discovers into its first directory and crash inputs to
    # the artifact prefix: both in the build tree, never into the committed seeds.
    set(work ${CMAKE_CURRENT_BINARY_DIR}/fuzz-work/${name})
    file(MAKE_DIRECTORY ${work}/corpus ${work}/artifacts)
    set(options -max_total_time=${WW_FUZZ_SECONDS} -timeout=10 -rss_limit_mb=2048
                -print_final_stats=1 -artifact_prefix=${work}/artifacts/)
    if(EXISTS ${fuzz_dir}/${name}.dict)
      list(APPEND options -dict=${fuzz_dir}/${name}.dict)
    endif()
    add_test(NAME fuzz_${name} COMMAND fuzz_${name} ${options} ${work}/corpus ${inputs})
    # Room for loading the corpus and for one slow input (-timeout) past the budget.
    math(EXPR ctest_timeout "${WW_FUZZ_SECONDS} + 60")
    set_tests_properties(fuzz_${name} PROPERTIES LABELS fuzz TIMEOUT ${ctest_timeout})
  else()
    add_executable(fuzz_replay_${name} ${source} ${fuzz_dir}/replay_main.cpp)
    target_link_libraries(fuzz_replay_${name} PRIVATE ${libraries})
    add_test(NAME fuzz_replay_${name} COMMAND fuzz_replay_${name} ${inputs})
    set_tests_properties(fuzz_replay_${name} PROPERTIES LABELS unit)
  endif()
endfunction()
