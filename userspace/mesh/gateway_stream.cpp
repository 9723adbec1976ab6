#include "gateway_stream.h"

#include <openssl/ssl.h>

#include <boost/asio/ssl/host_name_verification.hpp>
#include <stdexcept>

#include "westworld/mesh/kv_store.h"

namespace westworld::mesh {

namespace beast = boost::beast;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

namespace {

KvError unreachable(const Endpoint& endpoint, const std::string& what) {
  return KvError(KvError::Kind::unavailable, "etcd at " + endpoint.url() + ": " + what);
}

bool is_address(const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

std::shared_ptr<ssl::context> make_tls_context(const EtcdTls& tls) {
  if (tls.ca_file.empty())
    throw std::runtime_error(
        "https:// etcd endpoints need the CA that signed etcd's certificate (--mesh-ca-file)");
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  // TLS 1.2 and later only, with the peer's certificate checked against our CA alone (not
  // the system's store: a public CA has no business vouching for a mesh's etcd).
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  context->load_verify_file(tls.ca_file, ec);
  if (ec) throw std::runtime_error(tls.ca_file + ": not a usable CA certificate: " + ec.message());
  context->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  return context;
}

GatewayStream::GatewayStream(boost::asio::io_context& io, const Endpoint& endpoint,
                             std::shared_ptr<ssl::context> tls)
    : endpoint_(endpoint),
      tls_(std::move(tls)),
      stream_(tls_ ? std::variant<Plain, Secure>(std::in_place_type<Secure>, io, *tls_)
                   : std::variant<Plain, Secure>(std::in_place_type<Plain>, io)) {
  if (endpoint_.tls && !tls_) throw std::logic_error("https endpoint without a TLS context");
}

GatewayStream::Plain& GatewayStream::tcp_layer() {
  return std::visit([](auto& s) -> Plain& { return beast::get_lowest_layer(s); }, stream_);
}

tcp::socket& GatewayStream::socket() { return tcp_layer().socket(); }

void GatewayStream::close() {
  boost::system::error_code ignored;
  socket().shutdown(tcp::socket::shutdown_both, ignored);
  socket().close(ignored);
}

void GatewayStream::open(boost::asio::io_context& io,
                         std::chrono::steady_clock::time_point deadline) {
  tcp::resolver resolver(io);
  boost::system::error_code ec;
  const auto addresses = resolver.resolve(endpoint_.host, endpoint_.port, ec);
  if (ec) throw unreachable(endpoint_, "cannot resolve: " + ec.message());

  const char* step = "cannot connect";
  ec = boost::asio::error::timed_out;
  Secure* secure = std::get_if<Secure>(&stream_);
  if (secure) {
    // SNI for names (not for addresses, RFC 6066), and the certificate must name the host
    // or address we dialled.
    if (!is_address(endpoint_.host))
      SSL_set_tlsext_host_name(secure->native_handle(), endpoint_.host.c_str());
    secure->set_verify_callback(ssl::host_name_verification(endpoint_.host));
  }
  tcp_layer().async_connect(addresses, [&](beast::error_code e, const tcp::endpoint&) {
    ec = e;
    if (e || !secure) return;
    step = "TLS handshake failed";
    ec = boost::asio::error::timed_out;
    secure->async_handshake(ssl::stream_base::client, [&](beast::error_code h) { ec = h; });
  });
  if (!run_until(io, *this, deadline) || ec) {
    const std::string why =
        ec == boost::asio::error::timed_out ? std::string("timed out") : ec.message();
    close();
    throw unreachable(endpoint_, std::string(step) + ": " + why);
  }
  socket().set_option(tcp::no_delay(true));
}

bool run_until(boost::asio::io_context& io, GatewayStream& stream,
               std::chrono::steady_clock::time_point deadline) {
  io.restart();
  io.run_until(deadline);
  if (io.stopped()) return true;
  // Closing aborts the pending operations; running again lets their handlers finish.
  boost::system::error_code ignored;
  stream.socket().close(ignored);
  io.restart();
  io.run();
  return false;
}

}  // namespace westworld::mesh
