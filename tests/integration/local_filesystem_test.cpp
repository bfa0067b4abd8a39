// LocalFileSystem (engine/bindings/filesystem) on a temporary directory of the real disk.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "engine/bindings/filesystem/local_filesystem.hpp"

namespace baton {
namespace {

class LocalFileSystemTest : public ::testing::Test {
 protected:
  LocalFileSystemTest() {
    std::string pattern = (std::filesystem::temp_directory_path() / "baton-fs-XXXXXX").string();
    root_ = ::mkdtemp(pattern.data());
  }
  ~LocalFileSystemTest() override {
    std::filesystem::permissions(root_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add);
    std::filesystem::remove_all(root_);
  }
  std::string at(const std::string& relative) const { return root_ + "/" + relative; }

  std::string root_;
  LocalFileSystem files_;
};

TEST_F(LocalFileSystemTest, WritesReadsAndReplacesWholeFiles) {
  ASSERT_TRUE(files_.make_directories(at("sync-tasks/web")).ok());
  ASSERT_TRUE(files_.make_directories(at("sync-tasks/web")).ok()) << "an existing directory is success";
  ASSERT_TRUE(files_.write_file(at("sync-tasks/web/main.tf"), "first").ok());
  ASSERT_TRUE(files_.write_file(at("sync-tasks/web/main.tf"), "second, longer").ok());
  const FileRead read = files_.read_file(at("sync-tasks/web/main.tf"));
  ASSERT_FALSE(read.error.has_value());
  EXPECT_EQ(read.content, "second, longer");
  EXPECT_EQ(files_.list_directory(at("sync-tasks/web")), (std::vector<std::string>{"main.tf"}))
      << "no temporary file left behind";
  struct stat info {};
  ASSERT_EQ(::stat(at("sync-tasks/web/main.tf").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0644u);
}

TEST_F(LocalFileSystemTest, AMissingFileIsNoContentNotAnError) {
  const FileRead read = files_.read_file(at("absent.tf"));
  EXPECT_FALSE(read.content.has_value());
  EXPECT_FALSE(read.error.has_value());
  EXPECT_FALSE(files_.exists(at("absent.tf")));
}

TEST_F(LocalFileSystemTest, ErrorsNameTheOperationPathAndReason) {
  const FileStatus no_directory = files_.write_file(at("missing/main.tf"), "x");
  ASSERT_FALSE(no_directory.ok());
  EXPECT_EQ(no_directory.error->message, "write " + at("missing/main.tf") + ": No such file or directory");

  const FileRead directory = files_.read_file(root_);
  ASSERT_TRUE(directory.error.has_value());
  EXPECT_EQ(directory.error->message, "read " + root_ + ": Is a directory");
}

TEST_F(LocalFileSystemTest, AWriteRefusedByPermissionsSaysSo) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes through permissions";
  ASSERT_TRUE(files_.make_directories(at("locked")).ok());
  std::filesystem::permissions(at("locked"), std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  const FileStatus denied = files_.write_file(at("locked/main.tf"), "x");
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error->message, "write " + at("locked/main.tf") + ": Permission denied");
  std::filesystem::permissions(at("locked"), std::filesystem::perms::owner_all);
}

TEST_F(LocalFileSystemTest, ListsSortedNamesAndRemovesTrees) {
  ASSERT_TRUE(files_.make_directories(at("tasks/b/deep")).ok());
  ASSERT_TRUE(files_.make_directories(at("tasks/a")).ok());
  ASSERT_TRUE(files_.write_file(at("tasks/c.tf"), "").ok());
  EXPECT_EQ(files_.list_directory(at("tasks")), (std::vector<std::string>{"a", "b", "c.tf"}));
  EXPECT_TRUE(files_.list_directory(at("nowhere")).empty());
  ASSERT_TRUE(files_.remove_all(at("tasks")).ok());
  EXPECT_FALSE(files_.exists(at("tasks")));
  EXPECT_TRUE(files_.remove_all(at("tasks")).ok()) << "a missing tree is success";
}

TEST_F(LocalFileSystemTest, KeepsTheModeOfAFileItReplaces) {
  ASSERT_TRUE(files_.write_file(at("script.sh"), "one").ok());
  ASSERT_EQ(::chmod(at("script.sh").c_str(), 0750), 0);
  ASSERT_TRUE(files_.write_file(at("script.sh"), "two").ok());
  struct stat info {};
  ASSERT_EQ(::stat(at("script.sh").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0750u);
}

}  // namespace
}  // namespace baton
