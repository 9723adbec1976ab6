#include "westworld/agent/accept_loop.h"

#include <spdlog/spdlog.h>

#include <atomic>

namespace westworld::agent {

namespace asio = boost::asio;

SessionSlot& SessionSlot::operator=(SessionSlot&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = std::move(other.owner_);
  }
  return *this;
}

void SessionSlot::release() {
  if (auto owner = owner_.lock()) owner->release_slot();
  owner_.reset();
}

// Everything the pending operations touch, shared with them through weak pointers: a
// completion that runs after the loop is gone finds nothing and does nothing.
template <typename Protocol>
class AcceptLoop<Protocol>::State : public SessionSlot::Owner,
                                    public std::enable_shared_from_this<State> {
 public:
  State(Acceptor acceptor, std::string server, AcceptLimits limits, OnAccept on_accept)
      : acceptor_(std::move(acceptor)),
        retry_(acceptor_.get_executor()),
        server_(std::move(server)),
        limits_(limits),
        on_accept_(std::move(on_accept)) {}

  // Arms one accept, unless one (or its retry) is pending or the sessions are at the cap.
  void accept() {
    if (closed_ || armed_ || active_ >= limits_.max_sessions) return;
    armed_ = true;
    acceptor_.async_accept(
        [weak = this->weak_from_this()](boost::system::error_code ec, Socket socket) {
          if (auto self = weak.lock()) self->accepted(ec, std::move(socket));
        });
  }

  void release_slot() override {
    --active_;
    accept();  // resumes a loop paused at the cap
  }

  void close() {
    closed_ = true;
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    retry_.cancel();
  }

  const Acceptor& acceptor() const { return acceptor_; }
  size_t active() const { return active_; }
  uint64_t failures() const { return failures_; }

 private:
  void accepted(boost::system::error_code ec, Socket socket) {
    armed_ = false;
    if (ec == asio::error::operation_aborted || closed_) return;
    if (ec == asio::error::connection_aborted) {  // the caller gave up while queued
      accept();
      return;
    }
    if (ec) {
      back_off(ec);
      return;
    }
    if (burst_failures_ > 0) {
      spdlog::info("{}: accepting connections again after {} failed attempts", server_,
                   burst_failures_);
      burst_failures_ = 0;
    }
    ++active_;
    try {
      on_accept_(std::move(socket), SessionSlot(this->weak_from_this()));
    } catch (const std::exception& e) {  // e.g. out of memory: this connection is lost
      spdlog::error("{}: cannot start a session: {}", server_, e.what());
    }
    accept();
  }

  // Whatever failed (out of descriptors or buffers, most likely) is retried: giving up would
  // leave the server dead until a restart, and the backoff keeps the retries from spinning.
  void back_off(boost::system::error_code ec) {
    ++failures_;
    if (burst_failures_++ == 0)
      spdlog::warn("{}: accept failed: {}; retrying every {} ms until it succeeds", server_,
                   ec.message(), limits_.retry_after.count());
    armed_ = true;
    retry_.expires_after(limits_.retry_after);
    retry_.async_wait([weak = this->weak_from_this()](boost::system::error_code wait_ec) {
      auto self = weak.lock();
      if (!self) return;
      self->armed_ = false;
      if (!wait_ec) self->accept();
    });
  }

  Acceptor acceptor_;
  asio::steady_timer retry_;
  std::string server_;
  AcceptLimits limits_;
  OnAccept on_accept_;
  bool closed_ = false;
  bool armed_ = false;  // an accept or its retry is pending
  uint64_t burst_failures_ = 0;
  std::atomic<size_t> active_{0};
  std::atomic<uint64_t> failures_{0};
};

template <typename Protocol>
AcceptLoop<Protocol>::AcceptLoop(Acceptor acceptor, std::string server, AcceptLimits limits,
                                 OnAccept on_accept)
    : state_(std::make_shared<State>(std::move(acceptor), std::move(server), limits,
                                     std::move(on_accept))) {
  state_->accept();
}

template <typename Protocol>
AcceptLoop<Protocol>::~AcceptLoop() {
  state_->close();
}

template <typename Protocol>
typename Protocol::endpoint AcceptLoop<Protocol>::local_endpoint() const {
  return state_->acceptor().local_endpoint();
}

template <typename Protocol>
size_t AcceptLoop<Protocol>::active_sessions() const {
  return state_->active();
}

template <typename Protocol>
uint64_t AcceptLoop<Protocol>::accept_failures() const {
  return state_->failures();
}

template class AcceptLoop<asio::local::stream_protocol>;
template class AcceptLoop<asio::ip::tcp>;

}  // namespace westworld::agent
