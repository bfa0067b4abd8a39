// ReadMemo: a pure reading function's results kept by input; reading an input again costs no
// call, a different input does, and past its bound it forgets and still answers right.
#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "engine/state/read_memo.hpp"

namespace baton::state {
namespace {

TEST(ReadMemo, ReadsEachInputOnceAndAnswersFromMemoryAfter) {
  ReadMemo<std::string> memo;
  int reads = 0;
  const auto upper = [&reads](const std::string& text) {
    return [&reads, text] {
      ++reads;
      std::string out = text;
      for (char& c : out) c = char(std::toupper(static_cast<unsigned char>(c)));
      return out;
    };
  };
  EXPECT_EQ(memo.get("abc", upper("abc")), "ABC");
  EXPECT_EQ(memo.get("abc", upper("abc")), "ABC");
  EXPECT_EQ(reads, 1);
  EXPECT_EQ(memo.get("xyz", upper("xyz")), "XYZ");
  EXPECT_EQ(reads, 2);
  for (int i = 0; i < 1000; ++i) {
    const std::string input = "in" + std::to_string(i);
    ASSERT_EQ(memo.get(input, upper(input)), "IN" + std::to_string(i)) << "past the bound too";
  }
  EXPECT_EQ(memo.get("abc", upper("abc")), "ABC") << "forgotten, read again";
}

TEST(ReadMemo, InputsOfSeveralPartsDoNotCollide) {
  EXPECT_NE(memo_input({"ab", "c"}), memo_input({"a", "bc"}));
  EXPECT_NE(memo_input({"", "x"}), memo_input({"x", ""}));
  EXPECT_EQ(memo_input({"k", "text"}), memo_input({"k", "text"}));
}

}  // namespace
}  // namespace baton::state
