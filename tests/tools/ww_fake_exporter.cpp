// ww-fake-exporter: a stand-in for a node's exporter in the telemetry gate's tests. Serves
// the file it is given at http://ADDR:PORT/metrics, read afresh for every scrape, so a test
// can change what the "exporter" offers while it runs.
#include <CLI/CLI.hpp>
// clang-format off
#include <utility>  // before Asio: Boost 1.74 needs std::exchange declared under C++20
#include <boost/asio.hpp>
// clang-format on
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "westworld/agent/metrics_server.h"

int main(int argc, char** argv) {
  std::string listen = "127.0.0.1:9100";
  std::string file;
  CLI::App app{"ww-fake-exporter: serves a file as a Prometheus exporter's /metrics"};
  app.add_option("--listen", listen, "ADDR:PORT")->capture_default_str();
  app.add_option("--file", file, "The exposition to serve")->required()->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);
  try {
    boost::asio::io_context io;
    westworld::agent::MetricsServerOptions options;
    options.flag = "--listen";
    westworld::agent::MetricsServer server(
        io, listen,
        [&file] {
          std::ifstream in(file);
          std::ostringstream text;
          text << in.rdbuf();
          return text.str();
        },
        options);
    boost::asio::signal_set stop(io, SIGTERM, SIGINT);
    stop.async_wait([&io](boost::system::error_code, int) { io.stop(); });
    std::cerr << "ww-fake-exporter: serving " << file << " on http://" << listen << "/metrics\n";
    io.run();
    return EXIT_SUCCESS;
  } catch (const std::exception& e) {
    std::cerr << "ww-fake-exporter: " << e.what() << '\n';
    return EXIT_FAILURE;
  }
}
