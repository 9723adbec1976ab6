// Root key files: 64 hex characters, created 0600, never overwritten, never read when
// group or others have access.
#include "westworld/capability/secret_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "test_support.h"

namespace westworld::capability {
namespace {

TEST(RootKeyFile, CreatedWithMode0600AndReadBack) {
  trust_test::TempDir dir;
  const auto path = dir / "root.key";
  const RootKey key = generate_root_key();
  const mode_t saved = ::umask(0);  // the file's mode must not depend on the caller's umask
  create_root_key_file(path, key);
  ::umask(saved);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  const std::string text = trust_test::read_file(path);
  EXPECT_EQ(text.size(), 65u);
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find_first_not_of("0123456789abcdef\n"), std::string::npos);
  EXPECT_TRUE(constant_time_equal(read_root_key_file(path).view(), key.view()));
}

TEST(RootKeyFile, RefusesToOverwrite) {
  trust_test::TempDir dir;
  const auto path = dir / "root.key";
  create_root_key_file(path, generate_root_key());
  const std::string before = trust_test::read_file(path);
  EXPECT_THROW(create_root_key_file(path, generate_root_key()), std::runtime_error);
  EXPECT_EQ(trust_test::read_file(path), before);
}

TEST(RootKeyFile, RefusesGroupOrOtherAccess) {
  trust_test::TempDir dir;
  const auto path = dir / "root.key";
  create_root_key_file(path, generate_root_key());
  for (mode_t mode : {0640, 0604, 0660, 0644, 0610}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    EXPECT_THROW(read_root_key_file(path), std::runtime_error) << std::oct << mode;
  }
  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);
  EXPECT_NO_THROW(read_root_key_file(path));
}

TEST(RootKeyFile, RejectsMalformedContent) {
  EXPECT_THROW(parse_root_key(std::string(63, 'a')), std::runtime_error);
  EXPECT_THROW(parse_root_key(std::string(66, 'a')), std::runtime_error);
  EXPECT_THROW(parse_root_key(std::string(64, 'g')), std::runtime_error);
  EXPECT_THROW(parse_root_key(std::string(64, 'a') + "\n\n"), std::runtime_error);
  EXPECT_NO_THROW(parse_root_key(std::string(64, 'A')));
}

}  // namespace
}  // namespace westworld::capability
