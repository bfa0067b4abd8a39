#pragma once
// Go error texts Terraform builds from what went wrong underneath it: the Consul API library's
// wording of a failed call, and hashicorp/go-multierror's list.
#include <string>
#include <vector>

#include "engine/consul/result.hpp"

namespace baton::fakes::terraform {

// The text hashicorp/consul/api gives a failed call: "Unexpected response code: 500 (rpc error
// making call: No cluster leader)" for an answer with an error status (api.go requireOK). A
// call that got no answer keeps the engine client's text: Go's would name the URL
// (`Put "http://127.0.0.1:8500/v1/...": dial tcp ...`), which the simulator has none of.
std::string consul_api_error_text(const baton::consul::ConsulError& error);

// True when the call was abandoned through its stop token.
bool is_cancelled(const baton::consul::ConsulError& error);

// go-multierror's ListFormatFunc: "1 error occurred:\n\t* <e>\n\n", or
// "<n> errors occurred:\n\t* <e1>\n\t* <e2>\n\n".
std::string multierror_text(const std::vector<std::string>& errors);

}  // namespace baton::fakes::terraform
