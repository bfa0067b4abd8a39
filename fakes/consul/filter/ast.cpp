#include "fakes/consul/filter/ast.hpp"

namespace baton::fakes::consul::filter {

std::string_view operator_name(MatchOperator op) {
  switch (op) {
    case MatchOperator::equal: return "Equal";
    case MatchOperator::not_equal: return "Not Equal";
    case MatchOperator::in: return "In";
    case MatchOperator::not_in: return "Not In";
    case MatchOperator::is_empty: return "Is Empty";
    case MatchOperator::is_not_empty: return "Is Not Empty";
    case MatchOperator::matches: return "Matches";
    case MatchOperator::not_matches: return "Not Matches";
  }
  return "UNKNOWN";
}

std::string selector_text(const Selector& selector, std::size_t length) {
  std::string text;
  for (std::size_t i = 0; i < length && i < selector.size(); ++i) {
    if (i > 0) text += '.';
    text += selector[i];
  }
  return text;
}

}  // namespace baton::fakes::consul::filter
