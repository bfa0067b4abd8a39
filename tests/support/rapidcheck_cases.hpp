#pragma once
// Runs a RapidCheck property a fixed number of times, whatever RC_PARAMS says (its seed still
// applies, so a failure replays): properties whose cases each run a whole simulation need a
// budget sized for CI, and a longer run sets its own.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <iostream>
#include <sstream>
#include <string>

namespace baton::test {

template <class Property>
void check_cases(const Property& property, int cases) {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  rc::detail::TestMetadata metadata;
  metadata.id = std::string(test->test_suite_name()) + "/" + test->name();
  metadata.description = test->name();
  rc::detail::TestParams params = rc::detail::configuration().testParams;
  params.maxSuccess = cases;
  const auto result = rc::detail::checkTestable(property, metadata, params);
  if (result.template is<rc::detail::SuccessResult>()) {
    rc::detail::printResultMessage(result, std::cout);  // the tags' distribution
    std::cout << std::endl;
  } else {
    std::ostringstream report;
    rc::detail::printResultMessage(result, report);
    FAIL() << report.str();
  }
}

}  // namespace baton::test
