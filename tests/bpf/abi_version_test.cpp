// A pinned guard outlives the binaries that loaded it. One that speaks another map ABI must be
// refused by every adopter (the agent, wwctl status and quarantine), with the way out in the
// message, and must still be removable.
#include <bpf/bpf.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "guard_fixture.h"
#include "westworld/dataplane/error.h"

namespace westworld::bpf_test {
namespace {

class AbiVersionTest : public GuardTest {
 protected:
  std::string abi_pin() const { return pin_root() + "/ww_abi"; }

  // Replaces the guard's ww_abi pin by one holding `version`, as a guard of that ABI has.
  void pin_abi_version(uint32_t version) {
    ASSERT_EQ(::unlink(abi_pin().c_str()), 0) << std::strerror(errno);
    const int fd =
        bpf_map_create(BPF_MAP_TYPE_ARRAY, "ww_abi", sizeof(uint32_t), sizeof(ww_abi), 1, nullptr);
    ASSERT_GE(fd, 0) << std::strerror(errno);
    const uint32_t zero = 0;
    const ww_abi abi{.version = version};
    EXPECT_EQ(bpf_map_update_elem(fd, &zero, &abi, BPF_ANY), 0) << std::strerror(errno);
    EXPECT_EQ(bpf_obj_pin(fd, abi_pin().c_str()), 0) << std::strerror(errno);
    ::close(fd);
  }

  // The message Guard::adopt refuses with, or "" if it adopts.
  std::string adopt_refusal() const {
    try {
      dataplane::Guard::adopt(pin_root());
    } catch (const dataplane::Error& e) {
      return e.what();
    }
    return "";
  }
};

TEST_F(AbiVersionTest, AGuardOfThisAbiIsAdopted) {
  EXPECT_EQ(adopt_refusal(), "");
  EXPECT_EQ(dataplane::Guard::adopt(pin_root()).xdp_program_id(), guard().xdp_program_id());
}

TEST_F(AbiVersionTest, TheLoaderPinsItsAbiVersionFrozen) {
  const int fd = bpf_obj_get(abi_pin().c_str());
  ASSERT_GE(fd, 0) << std::strerror(errno);
  const uint32_t zero = 0;
  ww_abi abi{};
  EXPECT_EQ(bpf_map_lookup_elem(fd, &zero, &abi), 0);
  EXPECT_EQ(abi.version, uint32_t{WW_ABI_VERSION});
  abi.version = WW_ABI_VERSION + 1;
  EXPECT_NE(bpf_map_update_elem(fd, &zero, &abi, BPF_ANY), 0) << "ww_abi must be frozen";
  ::close(fd);
}

TEST_F(AbiVersionTest, AGuardOfAnotherAbiIsRefusedWithTheWayOut) {
  for (uint32_t other : {uint32_t{WW_ABI_VERSION - 1}, uint32_t{WW_ABI_VERSION + 1}}) {
    SCOPED_TRACE("pinned ABI " + std::to_string(other));
    pin_abi_version(other);
    const std::string refusal = adopt_refusal();
    EXPECT_NE(refusal.find("speaks map ABI " + std::to_string(other)), std::string::npos)
        << refusal;
    EXPECT_NE(refusal.find("this binary speaks map ABI " + std::to_string(WW_ABI_VERSION)),
              std::string::npos)
        << refusal;
    EXPECT_NE(refusal.find("run `wwctl detach`, then start the agent again"), std::string::npos)
        << refusal;
  }
}

TEST_F(AbiVersionTest, AGuardFromBeforeTheVersionWasPinnedIsRefused) {
  ASSERT_EQ(::unlink(abi_pin().c_str()), 0) << std::strerror(errno);
  const std::string refusal = adopt_refusal();
  EXPECT_NE(refusal.find("predates map ABI 3"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("run `wwctl detach`, then start the agent again"), std::string::npos)
      << refusal;
}

// The way out of a mismatch: what detaching needs opens whatever the ABI.
TEST_F(AbiVersionTest, AGuardOfAnotherAbiCanStillBeRemoved) {
  pin_abi_version(WW_ABI_VERSION + 1);
  const dataplane::Guard old = dataplane::Guard::adopt_to_remove(pin_root());
  EXPECT_EQ(old.xdp_program_id(), guard().xdp_program_id());
  EXPECT_EQ(old.tc_program_id(), guard().tc_program_id());
  EXPECT_GE(old.maps().ifaces.get(), 0);
}

}  // namespace
}  // namespace westworld::bpf_test
