#pragma once
// hclwrite's Body as CTS's generators use it: attributes (set again by name, they are replaced in
// place), nested blocks with quoted labels, bare newlines and comment lines, in order.
#include <memory>
#include <string>
#include <vector>

#include "engine/driver/terraform/hcl_token.hpp"
#include "engine/driver/terraform/value.hpp"

namespace baton::driver::terraform {

class Body {
 public:
  Body();
  Body(Body&&) noexcept;
  Body& operator=(Body&&) noexcept;
  ~Body();

  void set_attribute_value(const std::string& name, const Value& value);
  // `name = root.step.step`
  void set_attribute_traversal(const std::string& name, const std::vector<std::string>& traversal);
  void set_attribute_raw(const std::string& name, Tokens expression);

  // The new block's body, valid as long as this one.
  Body& append_block(const std::string& type, const std::vector<std::string>& labels = {});
  void append_newline();
  // A whole-line comment: "# " is not added.
  void append_comment(std::string text);
  void append_tokens(const Tokens& tokens);

  // Unformatted: see format_tokens.
  Tokens build() const;

 private:
  struct Item;
  std::vector<std::unique_ptr<Item>> items_;
};

}  // namespace baton::driver::terraform
