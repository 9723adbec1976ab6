// The accept loop both of the agent's servers (control socket, metrics) run on: it keeps
// accepting whatever accept() fails with, and it holds the number of live sessions under a cap.
//
// A failed accept (EMFILE, ENFILE, ENOBUFS, ENOMEM, ...) is retried after a short backoff,
// never given up: a server that stops accepting is gone until a restart. One warning is
// logged when a burst of failures starts and one line when accepting works again, so an
// attacker holding descriptors cannot also flood the log.
//
// At the cap the loop stops accepting until a session ends, rather than accepting and
// refusing: waiting callers stay in the kernel's listen backlog, which costs the agent no
// descriptor and serves them in arrival order, so connections opened faster than they are
// refused cannot starve a real caller; every session has a timeout, so a slot always frees.
#pragma once

// clang-format off
#include <utility>  // before Asio: Boost 1.74 needs std::exchange declared under C++20
#include <boost/asio.hpp>
// clang-format on
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace westworld::agent {

// One session's place under the cap, given back when the slot is destroyed (with the session
// that holds it). It outlives its loop safely: then it gives back nothing.
class SessionSlot {
 public:
  class Owner {
   public:
    virtual ~Owner() = default;
    virtual void release_slot() = 0;
  };

  SessionSlot() = default;
  explicit SessionSlot(std::weak_ptr<Owner> owner) : owner_(std::move(owner)) {}
  SessionSlot(SessionSlot&&) noexcept = default;
  SessionSlot& operator=(SessionSlot&& other) noexcept;
  SessionSlot(const SessionSlot&) = delete;
  SessionSlot& operator=(const SessionSlot&) = delete;
  ~SessionSlot() { release(); }

 private:
  void release();

  std::weak_ptr<Owner> owner_;
};

struct AcceptLimits {
  size_t max_sessions = 32;
  std::chrono::milliseconds retry_after{200};  // after a failed accept
};

template <typename Protocol>
class AcceptLoop {
 public:
  using Acceptor = boost::asio::basic_socket_acceptor<Protocol>;
  using Socket = typename Protocol::socket;
  // Starts a session on an accepted socket; the session keeps `slot` for as long as it lives.
  using OnAccept = std::function<void(Socket socket, SessionSlot slot)>;

  // `acceptor` is open and listening; `server` names it in log lines ("control", "metrics").
  AcceptLoop(Acceptor acceptor, std::string server, AcceptLimits limits, OnAccept on_accept);
  ~AcceptLoop();  // closes the acceptor; sessions still running finish on their own
  AcceptLoop(const AcceptLoop&) = delete;
  AcceptLoop& operator=(const AcceptLoop&) = delete;

  typename Protocol::endpoint local_endpoint() const;
  // Safe to read from any thread (tests and metrics look at them while the loop runs).
  size_t active_sessions() const;
  uint64_t accept_failures() const;

 private:
  class State;
  std::shared_ptr<State> state_;
};

extern template class AcceptLoop<boost::asio::local::stream_protocol>;
extern template class AcceptLoop<boost::asio::ip::tcp>;

}  // namespace westworld::agent
