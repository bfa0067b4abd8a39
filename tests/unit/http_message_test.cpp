#include <gtest/gtest.h>

#include "engine/http/message.hpp"

namespace baton::http {
namespace {

TEST(HttpTarget, SplitsAndDecodesPathAndQuery) {
  auto target = parse_target("/v1/kv/a%20b/c+d?recurse&index=12&tag=x&tag=y%2Fz&q=a+b");
  ASSERT_TRUE(target);
  EXPECT_EQ(target->path, "/v1/kv/a b/c+d");
  EXPECT_TRUE(target->has("recurse"));
  EXPECT_EQ(target->get("recurse"), "");
  EXPECT_EQ(target->get("index"), "12");
  EXPECT_EQ(target->all("tag"), (std::vector<std::string>{"x", "y/z"}));
  EXPECT_EQ(target->get("q"), "a b");
  EXPECT_FALSE(target->get("missing"));
}

TEST(HttpTarget, RejectsMalformedTargets) {
  EXPECT_FALSE(parse_target(""));
  EXPECT_FALSE(parse_target("v1/kv"));
  EXPECT_FALSE(parse_target("/v1/kv/%zz"));
  EXPECT_FALSE(parse_target("/v1/kv/%4"));
  EXPECT_FALSE(parse_target("/v1/kv?x=%"));
}

TEST(HttpMessage, HeadersAreCaseInsensitiveAndSetReplaces) {
  Response response;
  response.headers = {{"X-Consul-Index", "3"}, {"x-consul-index", "4"}};
  EXPECT_EQ(response.header("x-CONSUL-index"), "3");
  response.set_header("X-Consul-Index", "5");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.header("x-consul-index"), "5");
}

TEST(HttpMessage, PercentEncodeRoundTrips) {
  const std::string key = "service/web 1/ä?&=";
  EXPECT_EQ(percent_encode(key, true), "service/web%201/%C3%A4%3F%26%3D");
  EXPECT_EQ(parse_target("/" + percent_encode(key, true))->path, "/" + key);
}

}  // namespace
}  // namespace baton::http
