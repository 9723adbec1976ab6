// A fixture whose suite shares one real etcd (Debian's etcd-server, one member on loopback):
// started before the suite's first test and stopped after its last, so each test pays only
// for its own keys. Tests keep apart by prefix or mesh name.
#pragma once

#include <gtest/gtest.h>

#include "etcd_cluster.h"

namespace westworld::harness {

class SharedEtcdTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { cluster_ = new EtcdCluster(EtcdClusterOptions::of(1)); }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  static inline EtcdCluster* cluster_ = nullptr;
};

}  // namespace westworld::harness
