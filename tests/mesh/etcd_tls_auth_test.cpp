// The KvStore against an etcd that serves clients over TLS only and has authentication on,
// the way a mesh should run it: a router's user may read and write under /westworld/ and
// nowhere else, its password crosses the link encrypted, and a server whose certificate
// does not chain to the configured CA is never spoken to.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "built_binaries.h"
#include "etcd_cluster.h"
#include "test_pki.h"
#include "westworld/harness/command.h"
#include "westworld/harness/pid_tag.h"
#include "westworld/harness/polling.h"
#include "westworld/harness/text_file.h"
#include "westworld/harness/tool_paths.h"
#include "westworld/mesh/etcd_gateway.h"

namespace westworld::mesh {
namespace {

using namespace std::chrono_literals;

constexpr const char* kRouterUser = "router";
constexpr const char* kRouterPassword = "correct horse battery staple";

class EtcdTlsAuthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    directory_ = new std::filesystem::path(harness::make_tagged_directory("ww-etcd-tls"));
    pki_ = new harness::TestPki(harness::make_test_pki(*directory_, "mesh", "127.0.0.1"));
    harness::EtcdClusterOptions options = harness::EtcdClusterOptions::of(1);
    options.tls = {pki_->server_cert.string(), pki_->server_key.string(), pki_->ca_cert.string()};
    cluster_ = new harness::EtcdCluster(options);
    // etcd's own tool sets up what an operator would: root, a router role limited to the
    // mesh's prefix, a router user, then auth on.
    for (const std::vector<std::string>& step : std::vector<std::vector<std::string>>{
             {"user", "add", "root:root-password"},
             {"role", "add", "router"},
             {"role", "grant-permission", "router", "--prefix=true", "readwrite", "/westworld/"},
             {"user", "add", std::string(kRouterUser) + ":" + kRouterPassword},
             {"user", "grant-role", kRouterUser, "router"},
             {"auth", "enable"}})
      etcdctl(step);
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
    std::error_code ignored;
    std::filesystem::remove_all(*directory_, ignored);
    delete pki_;
    delete directory_;
  }

  static void etcdctl(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {harness::system_tool("etcdctl"), "--endpoints",
                                     cluster_->endpoints(), "--cacert", pki_->ca_cert.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    harness::run_checked(argv);
  }

  static EtcdOptions router_options() {
    EtcdOptions options;
    options.endpoints = parse_endpoints(cluster_->endpoints());
    options.tls.ca_file = pki_->ca_cert.string();
    options.user = kRouterUser;
    options.password = kRouterPassword;
    options.timeout = 3s;
    return options;
  }

  static std::filesystem::path* directory_;
  static harness::TestPki* pki_;
  static harness::EtcdCluster* cluster_;
};
std::filesystem::path* EtcdTlsAuthTest::directory_ = nullptr;
harness::TestPki* EtcdTlsAuthTest::pki_ = nullptr;
harness::EtcdCluster* EtcdTlsAuthTest::cluster_ = nullptr;

KvError::Kind error_kind(const std::function<void()>& call, std::string* message = nullptr) {
  try {
    call();
  } catch (const KvError& e) {
    if (message) *message = e.what();
    return e.kind();
  }
  ADD_FAILURE() << "the call succeeded";
  return KvError::Kind::protocol;
}

TEST_F(EtcdTlsAuthTest, ARouterUserReadsWritesAndWatchesItsPrefixOverTls) {
  EtcdGateway store(router_options());
  const Revision first = store.put({"/westworld/v1/t/routers/r1", "one"});
  auto watch = store.watch("/westworld/v1/t/", first);
  store.put({"/westworld/v1/t/routers/r1", "two"});
  std::vector<std::string> seen;
  ASSERT_TRUE(harness::eventually(5s, [&] {
    if (auto batch = watch->next(200ms))
      for (const WatchEvent& event : batch->events) seen.push_back(event.kv.value);
    return seen.size() >= 2;
  }));
  EXPECT_EQ(seen, (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(store.get("/westworld/v1/t/routers/r1").kvs.at(0).value, "two");
}

TEST_F(EtcdTlsAuthTest, OutsideItsPrefixTheRouterIsRefused) {
  EtcdGateway store(router_options());
  EXPECT_EQ(error_kind([&] {
              store.put({"/elsewhere/key", "x"});
            }),
            KvError::Kind::permission_denied);
}

TEST_F(EtcdTlsAuthTest, AWrongPasswordOrNoUserIsRefused) {
  EtcdOptions wrong = router_options();
  wrong.password = "not the password";
  EtcdGateway wrong_password(wrong);
  std::string message;
  EXPECT_EQ(error_kind([&] { wrong_password.get("/westworld/v1/t/x"); }, &message),
            KvError::Kind::permission_denied);
  EXPECT_NE(message.find("authentication failed"), std::string::npos) << message;

  EtcdOptions anonymous = router_options();
  anonymous.user.clear();
  anonymous.password.clear();
  EtcdGateway no_user(anonymous);
  EXPECT_EQ(error_kind([&] {
              no_user.put({"/westworld/v1/t/x", "x"});
            }),
            KvError::Kind::permission_denied);
}

TEST_F(EtcdTlsAuthTest, AServerTheCaDidNotCertifyIsNeverSpokenTo) {
  const harness::TestPki other = harness::make_test_pki(*directory_, "other", "127.0.0.1");
  EtcdOptions options = router_options();
  options.tls.ca_file = other.ca_cert.string();
  EtcdGateway store(options);
  std::string message;
  EXPECT_EQ(error_kind([&] { store.get("/westworld/v1/t/x"); }, &message),
            KvError::Kind::unavailable);
  EXPECT_NE(message.find("TLS handshake failed"), std::string::npos) << message;
  EXPECT_NE(message.find("certificate verify failed"), std::string::npos) << message;
}

TEST_F(EtcdTlsAuthTest, PlainHttpToTheTlsPortFails) {
  EtcdOptions options = router_options();
  std::string url = cluster_->endpoints();
  url.replace(0, 5, "http");  // https:// -> http://
  options.endpoints = parse_endpoints(url);
  EtcdGateway store(options);
  EXPECT_THROW(store.get("/westworld/v1/t/x"), KvError);
}

// The operator's side: wwctl reaches the same etcd with --mesh-ca-file and a password file,
// and refuses a password file others can read.
TEST_F(EtcdTlsAuthTest, WwctlSpeaksTlsWithAPasswordFile) {
  const std::filesystem::path password = *directory_ / "router.password";
  harness::write_text_file(password, std::string(kRouterPassword) + "\n");
  ::chmod(password.c_str(), 0600);
  const std::vector<std::string> argv = {harness::kWwctlBinary,
                                         "mesh",
                                         "status",
                                         "--mesh",
                                         cluster_->endpoints(),
                                         "--mesh-ca-file",
                                         pki_->ca_cert.string(),
                                         "--mesh-user",
                                         kRouterUser,
                                         "--mesh-password-file",
                                         password.string()};
  const harness::CommandResult ok = harness::run_command(argv, 30s);
  ASSERT_TRUE(ok.ok()) << ok.describe();
  EXPECT_NE(ok.out.find("answering:  " + cluster_->endpoints()), std::string::npos) << ok.out;

  ::chmod(password.c_str(), 0644);
  const harness::CommandResult exposed = harness::run_command(argv, 30s);
  EXPECT_FALSE(exposed.ok()) << exposed.describe();
  EXPECT_NE(exposed.err.find(password.string()), std::string::npos) << exposed.err;
}

}  // namespace
}  // namespace westworld::mesh
