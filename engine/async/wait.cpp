#include "engine/async/wait.hpp"

namespace baton {

const char* to_string(WaitResult result) {
  switch (result) {
    case WaitResult::woken: return "woken";
    case WaitResult::deadline: return "deadline";
    case WaitResult::cancelled: return "cancelled";
  }
  return "unknown";
}

}  // namespace baton
