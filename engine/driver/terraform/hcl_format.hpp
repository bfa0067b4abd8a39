#pragma once
// hclwrite's formatter (hcl v2.13.0 hclwrite/format.go), which File.Bytes and hclwrite.Format
// apply to every file CTS generates: indentation by bracket depth, canonical spaces between
// tokens, and `=` signs aligned across consecutive single-line attributes.
#include <string>

#include "engine/driver/terraform/hcl_token.hpp"

namespace baton::driver::terraform {

// Rewrites the spaces_before of every token.
void format_tokens(Tokens& tokens);

// The tokens' bytes, each after its spaces.
std::string write_tokens(const Tokens& tokens);

// format_tokens then write_tokens: hclwrite's File.Bytes.
std::string formatted(Tokens tokens);

// The same for files CTS passes through hclwrite.Format, which lexes the text again. The one
// generated token that lexes differently is an identifier starting with a byte order mark (a
// valid identifier only because hclsyntax skips a mark that starts its input): inside a file the
// mark is an invalid token of its own, and gets a space after it.
std::string formatted_relexed(Tokens tokens);

}  // namespace baton::driver::terraform
