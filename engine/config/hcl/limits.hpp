#pragma once
// Bounds on the input, so that no file, however hostile, can exhaust the stack or the heap.
// CTS configuration files are a few kilobytes and nest about five levels deep
// (task > condition > node_meta), so both limits are far beyond anything real.
#include <cstddef>

namespace baton::config::hcl {

// Larger inputs are refused with an error before scanning. HCL1 has no limit; a multi-megabyte
// configuration file is a mistake (a log or a binary passed as -config-file), not a config.
inline constexpr std::size_t kMaxInputBytes = 8 * 1024 * 1024;

// Blocks, objects and lists opened inside one another. The parser recurses once per level, and
// so do the destructor, the printer and equality of the tree it builds: this bound is what
// keeps every one of them off the end of the stack. Go's encoding/json allows 10000; 128 is
// enough for any configuration and cheap even with AddressSanitizer's larger frames.
inline constexpr int kMaxNestingDepth = 128;

}  // namespace baton::config::hcl
