// The struct declarations below are copied from hashicorp/consul-terraform-sync v0.9.0
// (config/*.go), Copyright HashiCorp, Inc., under the Mozilla Public License 2.0
// (https://mozilla.org/MPL/2.0/); that license covers them here too. A manual tool: not built.
// The reference side of the differential check of engine/config/cts: CTS v0.9.0's decodeConfig
// (config/config.go, decode.go, condition.go, module_input.go, internal/decode/decode.go) run
// with the very libraries it pins (hashicorp/hcl, mitchellh/mapstructure 1.5.0, reflectwalk)
// on structs copied field for field, tag for tag, from CTS's config package. Only what decoding
// reads is copied: no methods but the hooks and the interfaces' VariableType.
//
// One input per line in: "<file name>\t<base64 text>". One line out: "ERR <message>" (newlines
// as \n) or "OK" then the decoded fields, one "path = value" per set field, sorted, tab-joined.
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl"
	"github.com/mitchellh/mapstructure"
	"github.com/mitchellh/reflectwalk"
)

// ---- CTS v0.9.0 config structs (decode-relevant parts) ----

type Config struct {
	LogLevel           *string                   `mapstructure:"log_level"`
	ClientType         *string                   `mapstructure:"client_type"`
	Port               *int                      `mapstructure:"port"`
	WorkingDir         *string                   `mapstructure:"working_dir"`
	ID                 *string                   `mapstructure:"id"`
	Syslog             *SyslogConfig             `mapstructure:"syslog"`
	Consul             *ConsulConfig             `mapstructure:"consul"`
	Vault              *VaultConfig              `mapstructure:"vault"`
	Driver             *DriverConfig             `mapstructure:"driver"`
	Tasks              *TaskConfigs              `mapstructure:"task"`
	DeprecatedServices *ServiceConfigs           `mapstructure:"service"`
	TerraformProviders *TerraformProviderConfigs `mapstructure:"terraform_provider"`
	BufferPeriod       *BufferPeriodConfig       `mapstructure:"buffer_period"`
	TLS                *CTSTLSConfig             `mapstructure:"tls"`
	// baton's addition, decoded like the rest.
	HighAvailability *HighAvailabilityConfig `mapstructure:"high_availability"`
}

type HighAvailabilityConfig struct {
	Cluster  *ClusterConfig  `mapstructure:"cluster"`
	Instance *InstanceConfig `mapstructure:"instance"`
}
type ClusterConfig struct {
	Name    *string        `mapstructure:"name"`
	Storage *StorageConfig `mapstructure:"storage"`
}
type StorageConfig struct {
	Consul *ConsulStorageConfig `mapstructure:"consul"`
}
type ConsulStorageConfig struct {
	ParentPath    *string        `mapstructure:"parent_path"`
	Namespace     *string        `mapstructure:"namespace"`
	SessionTTL    *time.Duration `mapstructure:"session_ttl"`
	RenewInterval *time.Duration `mapstructure:"renew_interval"`
	LockDelay     *time.Duration `mapstructure:"lock_delay"`
}
type InstanceConfig struct {
	Address *string `mapstructure:"address"`
}

type SyslogConfig struct {
	Enabled  *bool   `mapstructure:"enabled"`
	Facility *string `mapstructure:"facility"`
	Name     *string `mapstructure:"name"`
}
type CTSTLSConfig struct {
	Enabled        *bool   `mapstructure:"enabled"`
	Cert           *string `mapstructure:"cert"`
	Key            *string `mapstructure:"key"`
	VerifyIncoming *bool   `mapstructure:"verify_incoming"`
	CACert         *string `mapstructure:"ca_cert"`
	CAPath         *string `mapstructure:"ca_path"`
}
type ConsulConfig struct {
	Address             *string                    `mapstructure:"address"`
	Auth                *AuthConfig                `mapstructure:"auth"`
	KVNamespace         *string                    `mapstructure:"kv_namespace"`
	KVPath              *string                    `mapstructure:"kv_path"`
	TLS                 *TLSConfig                 `mapstructure:"tls"`
	Token               *string                    `mapstructure:"token"`
	Transport           *TransportConfig           `mapstructure:"transport"`
	ServiceRegistration *ServiceRegistrationConfig `mapstructure:"service_registration"`
}
type AuthConfig struct {
	Enabled  *bool   `mapstructure:"enabled"`
	Username *string `mapstructure:"username"`
	Password *string `mapstructure:"password"`
}
type TLSConfig struct {
	CACert     *string `mapstructure:"ca_cert"`
	CAPath     *string `mapstructure:"ca_path"`
	Cert       *string `mapstructure:"cert"`
	Enabled    *bool   `mapstructure:"enabled"`
	Key        *string `mapstructure:"key"`
	ServerName *string `mapstructure:"server_name"`
	Verify     *bool   `mapstructure:"verify"`
}
type TransportConfig struct {
	DialKeepAlive       *time.Duration `mapstructure:"dial_keep_alive"`
	DialTimeout         *time.Duration `mapstructure:"dial_timeout"`
	DisableKeepAlives   *bool          `mapstructure:"disable_keep_alives"`
	IdleConnTimeout     *time.Duration `mapstructure:"idle_conn_timeout"`
	MaxIdleConns        *int           `mapstructure:"max_idle_conns"`
	MaxIdleConnsPerHost *int           `mapstructure:"max_idle_conns_per_host"`
	TLSHandshakeTimeout *time.Duration `mapstructure:"tls_handshake_timeout"`
}
type ServiceRegistrationConfig struct {
	Enabled      *bool               `mapstructure:"enabled"`
	ServiceName  *string             `mapstructure:"service_name"`
	Address      *string             `mapstructure:"address"`
	Namespace    *string             `mapstructure:"namespace"`
	DefaultCheck *DefaultCheckConfig `mapstructure:"default_check"`
}
type DefaultCheckConfig struct {
	Enabled *bool   `mapstructure:"enabled"`
	Address *string `mapstructure:"address"`
}
type VaultConfig struct {
	Address             *string          `mapstructure:"address"`
	Enabled             *bool            `mapstructure:"enabled"`
	Namespace           *string          `mapstructure:"namespace"`
	RenewToken          *bool            `mapstructure:"renew_token"`
	TLS                 *TLSConfig       `mapstructure:"tls"`
	Token               *string          `mapstructure:"token" json:"-"`
	VaultAgentTokenFile *string          `mapstructure:"vault_agent_token_file" json:"-"`
	Transport           *TransportConfig `mapstructure:"transport"`
	UnwrapToken         *bool            `mapstructure:"unwrap_token"`
	test                bool
}
type DriverConfig struct {
	consul    *ConsulConfig
	Terraform *TerraformConfig `mapstructure:"terraform"`
}
type TerraformConfig struct {
	Version           *string                `mapstructure:"version"`
	Log               *bool                  `mapstructure:"log"`
	PersistLog        *bool                  `mapstructure:"persist_log"`
	Path              *string                `mapstructure:"path"`
	Backend           map[string]interface{} `mapstructure:"backend"`
	RequiredProviders map[string]interface{} `mapstructure:"required_providers"`
}
type TerraformProviderConfigs []*TerraformProviderConfig
type TerraformProviderConfig map[string]interface{}
type ServiceConfigs []*ServiceConfig
type ServiceConfig struct {
	Datacenter         *string           `mapstricture:"datacenter"`
	Description        *string           `mapstructure:"description"`
	ID                 *string           `mapstructure:"id"`
	Name               *string           `mapstructure:"name"`
	Namespace          *string           `mapstructure:"namespace"`
	Filter             *string           `mapstructure:"filter"`
	CTSUserDefinedMeta map[string]string `mapstructure:"cts_user_defined_meta"`
}
type BufferPeriodConfig struct {
	Enabled *bool          `mapstructure:"enabled" json:"enabled"`
	Min     *time.Duration `mapstructure:"min" json:"min"`
	Max     *time.Duration `mapstructure:"max" json:"max"`
}
type TerraformCloudWorkspaceConfig struct {
	ExecutionMode    *string `mapstructure:"execution_mode" json:"execution_mode"`
	AgentPoolID      *string `mapstructure:"agent_pool_id" json:"agent_pool_id"`
	AgentPoolName    *string `mapstructure:"agent_pool_name" json:"agent_pool_name"`
	TerraformVersion *string `mapstructure:"terraform_version" json:"terraform_version"`
}
type TaskConfigs []*TaskConfig
type TaskConfig struct {
	Description            *string                        `mapstructure:"description"`
	Name                   *string                        `mapstructure:"name"`
	Providers              []string                       `mapstructure:"providers"`
	DeprecatedServices     []string                       `mapstructure:"services"`
	Module                 *string                        `mapstructure:"module"`
	DeprecatedSource       *string                        `mapstructure:"source"`
	ModuleInputs           *ModuleInputConfigs            `mapstructure:"module_input"`
	DeprecatedSourceInputs *ModuleInputConfigs            `mapstructure:"source_input"`
	VarFiles               []string                       `mapstructure:"variable_files"`
	Variables              map[string]string              `mapstructure:"variables"`
	Version                *string                        `mapstructure:"version"`
	DeprecatedTFVersion    *string                        `mapstructure:"terraform_version"`
	TFCWorkspace           *TerraformCloudWorkspaceConfig `mapstructure:"terraform_cloud_workspace"`
	BufferPeriod           *BufferPeriodConfig            `mapstructure:"buffer_period"`
	Enabled                *bool                          `mapstructure:"enabled"`
	Condition              ConditionConfig                `mapstructure:"condition"`
	WorkingDir             *string                        `mapstructure:"working_dir"`
}

type MonitorConfig interface{ VariableType() string }
type ConditionConfig interface{ MonitorConfig }
type ModuleInputConfig interface{ MonitorConfig }
type ModuleInputConfigs []ModuleInputConfig

type ServicesMonitorConfig struct {
	Regexp             *string           `mapstructure:"regexp" json:"regexp"`
	Names              []string          `mapstructure:"names" json:"names"`
	Datacenter         *string           `mapstricture:"datacenter" json:"datacenter"`
	Namespace          *string           `mapstructure:"namespace" json:"namespace"`
	Filter             *string           `mapstructure:"filter" json:"filter"`
	CTSUserDefinedMeta map[string]string `mapstructure:"cts_user_defined_meta" json:"cts_user_defined_meta"`
}
type ServicesConditionConfig struct {
	ServicesMonitorConfig       `mapstructure:",squash" json:"services"`
	UseAsModuleInput            *bool `mapstructure:"use_as_module_input" json:"use_as_module_input"`
	DeprecatedSourceIncludesVar *bool `mapstructure:"source_includes_var" json:"source_includes_var"`
}
type CatalogServicesMonitorConfig struct {
	Regexp                      *string           `mapstructure:"regexp" json:"regexp"`
	Datacenter                  *string           `mapstructure:"datacenter" json:"datacenter"`
	Namespace                   *string           `mapstructure:"namespace" json:"namespace"`
	NodeMeta                    map[string]string `mapstructure:"node_meta" json:"node_meta"`
	UseAsModuleInput            *bool             `mapstructure:"use_as_module_input" json:"use_as_module_input"`
	DeprecatedSourceIncludesVar *bool             `mapstructure:"source_includes_var" json:"source_includes_var"`
}
type CatalogServicesConditionConfig struct {
	CatalogServicesMonitorConfig `mapstructure:",squash" json:"catalog-services"`
}
type ConsulKVMonitorConfig struct {
	Path       *string `mapstructure:"path" json:"path"`
	Recurse    *bool   `mapstructure:"recurse" json:"recurse"`
	Datacenter *string `mapstructure:"datacenter" json:"datacenter"`
	Namespace  *string `mapstructure:"namespace" json:"namespace"`
}
type ConsulKVConditionConfig struct {
	ConsulKVMonitorConfig       `mapstructure:",squash" json:"consul-kv"`
	UseAsModuleInput            *bool `mapstructure:"use_as_module_input" json:"use_as_module_input"`
	DeprecatedSourceIncludesVar *bool `mapstructure:"source_includes_var" json:"source_includes_var"`
}
type ScheduleMonitorConfig struct {
	Cron *string `mapstructure:"cron" json:"cron"`
}
type ScheduleConditionConfig struct {
	ScheduleMonitorConfig `mapstructure:",squash" json:"schedule"`
}
type NoConditionMonitorConfig struct{}
type NoConditionConfig struct {
	NoConditionMonitorConfig `mapstructure:",squash" json:"no-condition"`
}
type ServicesModuleInputConfig struct {
	ServicesMonitorConfig `mapstructure:",squash" json:"services"`
}
type ConsulKVModuleInputConfig struct {
	ConsulKVMonitorConfig `mapstructure:",squash" json:"consul-kv"`
}

func (*ServicesConditionConfig) VariableType() string        { return "services" }
func (*CatalogServicesConditionConfig) VariableType() string { return "catalog_services" }
func (*ConsulKVConditionConfig) VariableType() string        { return "consul_kv" }
func (*ScheduleConditionConfig) VariableType() string        { return "" }
func (*NoConditionConfig) VariableType() string              { return "" }
func (*ServicesModuleInputConfig) VariableType() string      { return "services" }
func (*ConsulKVModuleInputConfig) VariableType() string      { return "consul_kv" }

// ---- hooks (config/condition.go, module_input.go, internal/decode/decode.go) ----

func conditionToTypeFunc() mapstructure.DecodeHookFunc {
	return func(f reflect.Type, t reflect.Type, data interface{}) (interface{}, error) {
		var i ConditionConfig
		if t != reflect.TypeOf(&i).Elem() {
			return data, nil
		}
		var conditions map[string]interface{}
		if hcl, ok := data.([]map[string]interface{}); ok {
			if len(hcl) != 1 {
				return nil, fmt.Errorf("expected only one item in hcl "+
					"condition but got %d: %v", len(hcl), data)
			}
			conditions = hcl[0]
		}
		if json, ok := data.(map[string]interface{}); ok {
			conditions = json
		}
		if c, ok := conditions["no-condition"]; ok {
			var config NoConditionConfig
			return decodeMonitor(c, &config)
		}
		if c, ok := conditions["catalog-services"]; ok {
			var config CatalogServicesConditionConfig
			return decodeMonitor(c, &config)
		}
		if c, ok := conditions["services"]; ok {
			var config ServicesConditionConfig
			return decodeMonitor(c, &config)
		}
		if c, ok := conditions["consul-kv"]; ok {
			var config ConsulKVConditionConfig
			return decodeMonitor(c, &config)
		}
		if c, ok := conditions["schedule"]; ok {
			var config ScheduleConditionConfig
			return decodeMonitor(c, &config)
		}
		return nil, fmt.Errorf("unsupported condition type: %v", data)
	}
}

func moduleInputToTypeFunc() mapstructure.DecodeHookFunc {
	return func(f reflect.Type, t reflect.Type, data interface{}) (interface{}, error) {
		var i ModuleInputConfig
		if t != reflect.TypeOf(&i).Elem() {
			return data, nil
		}
		var moduleInputs map[string]interface{}
		if hcl, ok := data.([]map[string]interface{}); ok {
			if len(hcl) != 1 {
				return nil, fmt.Errorf("expected only one item in hcl "+
					"module_input but got %d: %v", len(hcl), data)
			}
			moduleInputs = hcl[0]
		}
		if json, ok := data.(map[string]interface{}); ok {
			moduleInputs = json
		}
		if c, ok := moduleInputs["services"]; ok {
			var config ServicesModuleInputConfig
			return decodeMonitor(c, &config)
		}
		if c, ok := moduleInputs["consul-kv"]; ok {
			var config ConsulKVModuleInputConfig
			return decodeMonitor(c, &config)
		}
		return nil, fmt.Errorf("unsupported module_input type: %v", data)
	}
}

func decodeMonitor(data interface{}, monitor MonitorConfig) (MonitorConfig, error) {
	var md mapstructure.Metadata
	decoder, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		DecodeHook:       mapstructure.ComposeDecodeHookFunc(HookWeakDecodeFromSlice),
		WeaklyTypedInput: true,
		Metadata:         &md,
		Result:           &monitor,
	})
	if err != nil {
		return nil, err
	}
	if err := decoder.Decode(data); err != nil {
		return nil, err
	}
	if len(md.Unused) > 0 {
		sort.Strings(md.Unused)
		return nil, fmt.Errorf("invalid keys: %s", strings.Join(md.Unused, ", "))
	}
	return monitor, nil
}

func HookWeakDecodeFromSlice(from, to reflect.Type, data interface{}) (interface{}, error) {
	if from.Kind() == reflect.Slice && (to.Kind() == reflect.Slice || to.Kind() == reflect.Array) {
		return data, nil
	}
	switch d := data.(type) {
	case []map[string]interface{}:
		switch {
		case len(d) != 1:
			return data, nil
		case to == typeOfEmptyInterface:
			return unSlice(d[0])
		default:
			return d[0], nil
		}
	case []interface{}:
		switch {
		case len(d) != 1:
			return data, nil
		case to == typeOfEmptyInterface:
			return unSlice(d[0])
		default:
			return d[0], nil
		}
	}
	return data, nil
}

var typeOfEmptyInterface = reflect.TypeOf((*interface{})(nil)).Elem()

func unSlice(data interface{}) (interface{}, error) {
	err := reflectwalk.Walk(data, &unSliceWalker{})
	return data, err
}

type unSliceWalker struct{}

func (u *unSliceWalker) Map(_ reflect.Value) error { return nil }
func (u *unSliceWalker) MapElem(m, k, v reflect.Value) error {
	if !v.IsValid() || v.Kind() != reflect.Interface {
		return nil
	}
	v = v.Elem()
	if v.Kind() != reflect.Slice || v.Len() != 1 {
		return nil
	}
	first := v.Index(0)
	if !first.Type().AssignableTo(m.Type().Elem()) {
		return nil
	}
	m.SetMapIndex(k, first)
	return nil
}

var reRepeatedBlock = regexp.MustCompile(`'([^\']+)' expected a map, got 'slice'`)

func decodeConfig(content []byte, file string) (*Config, error) {
	var raw map[string]interface{}
	var hook mapstructure.DecodeHookFunc
	var err error
	if strings.HasSuffix(file, ".json") {
		err = json.Unmarshal(content, &raw)
		hook = mapstructure.ComposeDecodeHookFunc(conditionToTypeFunc(), moduleInputToTypeFunc(),
			mapstructure.StringToTimeDurationHookFunc())
	} else {
		err = hcl.Decode(&raw, string(content))
		hook = mapstructure.ComposeDecodeHookFunc(conditionToTypeFunc(), moduleInputToTypeFunc(),
			HookWeakDecodeFromSlice, mapstructure.StringToTimeDurationHookFunc())
	}
	if err != nil {
		return nil, fmt.Errorf("SYNTAX %s", err)
	}
	var config Config
	var md mapstructure.Metadata
	decoder, _ := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		DecodeHook: hook, WeaklyTypedInput: true, Metadata: &md, Result: &config,
	})
	if err := decoder.Decode(raw); err != nil {
		if match := reRepeatedBlock.FindStringSubmatch(err.Error()); len(match) >= 2 {
			return nil, fmt.Errorf("only one '%s' block can be configured", match[1])
		}
		return nil, err
	}
	if len(md.Unused) > 0 {
		return nil, processUnusedConfigKeys(md, file)
	}
	return &config, nil
}

// config/decode.go processUnusedConfigKeys, as written there.
func processUnusedConfigKeys(md mapstructure.Metadata, file string) error {
	sort.Strings(md.Unused)
	err := fmt.Errorf("'%s' has invalid keys: %s", file, strings.Join(md.Unused, ", "))
	for _, key := range md.Unused {
		switch key {
		case "provider":
			return fmt.Errorf(`%s

'provider' is an invalid key for Consul-Terraform-Sync (CTS) configuration,
try 'terraform_provider'. The terraform_provider configuration blocks are
similar to provider blocks in Terraform but have additional features
supported only by CTS.`, err)
		case "driver.terraform-cloud":
			return fmt.Errorf(`%s

Terraform Cloud is a Consul-Terraform-Sync (CTS) Enterprise feature.
Upgrade to Consul Enterprise to enable CTS Enterprise features.`, err)
		case "license_path":
			return fmt.Errorf(`%s

'license_path' is a Consul-Terraform-Sync (CTS) Enterprise configuration.`, err)
		case "license":
			return fmt.Errorf(`%s

'license' is a Consul-Terraform-Sync (CTS) Enterprise configuration.`, err)
		}
	}
	return err
}

// ---- the dump: one "path = value" per set field ----

func goValue(v interface{}) string {
	switch t := v.(type) {
	case nil:
		return "nil"
	case bool:
		return strconv.FormatBool(t)
	case int:
		return strconv.Itoa(t)
	case float64:
		return fmt.Sprintf("float(%016x)", math.Float64bits(t))
	case string:
		return "s" + hex.EncodeToString([]byte(t))
	case []interface{}:
		parts := []string{}
		for _, e := range t {
			parts = append(parts, goValue(e))
		}
		return "[" + strings.Join(parts, " ") + "]"
	case []map[string]interface{}:
		parts := []string{}
		for _, e := range t {
			parts = append(parts, goValue(e))
		}
		return "[]map[" + strings.Join(parts, " ") + "]"
	case map[string]interface{}:
		parts := []string{}
		for k, e := range t {
			parts = append(parts, "s"+hex.EncodeToString([]byte(k))+":"+goValue(e))
		}
		sort.Strings(parts)
		return "map[" + strings.Join(parts, " ") + "]"
	}
	return fmt.Sprintf("?%T", v)
}

func fieldName(f reflect.StructField) string {
	tag := strings.Split(f.Tag.Get("mapstructure"), ",")[0]
	if tag == "" {
		return strings.ToLower(f.Name)
	}
	return tag
}

func dump(path string, v reflect.Value, out *[]string) {
	switch v.Kind() {
	case reflect.Ptr:
		if v.IsNil() {
			return
		}
		if v.Type() == reflect.TypeOf((*time.Duration)(nil)) {
			*out = append(*out, path+" = d"+strconv.FormatInt(int64(*v.Interface().(*time.Duration)), 10))
			return
		}
		dump(path, v.Elem(), out)
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		dump(path, v.Elem(), out)
	case reflect.Struct:
		*out = append(*out, path+" = "+typeLabel(v.Type()))
		dumpFields(path, v, out)
	case reflect.Slice:
		if v.IsNil() {
			return
		}
		if v.Type().Elem().Kind() == reflect.String {
			parts := []string{}
			for i := 0; i < v.Len(); i++ {
				parts = append(parts, "s"+hex.EncodeToString([]byte(v.Index(i).String())))
			}
			*out = append(*out, path+" = ["+strings.Join(parts, " ")+"]")
			return
		}
		*out = append(*out, path+" = list("+strconv.Itoa(v.Len())+")")
		for i := 0; i < v.Len(); i++ {
			dump(path+"["+strconv.Itoa(i)+"]", v.Index(i), out)
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		if v.Type().Elem().Kind() == reflect.String {
			parts := []string{}
			for _, k := range v.MapKeys() {
				parts = append(parts, "s"+hex.EncodeToString([]byte(k.String()))+":s"+hex.EncodeToString([]byte(v.MapIndex(k).String())))
			}
			sort.Strings(parts)
			*out = append(*out, path+" = map["+strings.Join(parts, " ")+"]")
			return
		}
		m := map[string]interface{}{}
		for _, k := range v.MapKeys() {
			m[k.String()] = v.MapIndex(k).Interface()
		}
		*out = append(*out, path+" = "+goValue(m))
	case reflect.String:
		*out = append(*out, path+" = s"+hex.EncodeToString([]byte(v.String())))
	case reflect.Bool:
		*out = append(*out, path+" = "+strconv.FormatBool(v.Bool()))
	case reflect.Int:
		*out = append(*out, path+" = "+strconv.FormatInt(v.Int(), 10))
	}
}

func typeLabel(t reflect.Type) string {
	switch t {
	case reflect.TypeOf(ServicesConditionConfig{}), reflect.TypeOf(ServicesModuleInputConfig{}):
		return "services"
	case reflect.TypeOf(CatalogServicesConditionConfig{}):
		return "catalog-services"
	case reflect.TypeOf(ConsulKVConditionConfig{}), reflect.TypeOf(ConsulKVModuleInputConfig{}):
		return "consul-kv"
	case reflect.TypeOf(ScheduleConditionConfig{}):
		return "schedule"
	case reflect.TypeOf(NoConditionConfig{}):
		return "no-condition"
	}
	return "{}"
}

func dumpFields(path string, v reflect.Value, out *[]string) {
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if f.PkgPath != "" {
			continue
		}
		if strings.Contains(f.Tag.Get("mapstructure"), "squash") {
			dumpFields(path, v.Field(i), out)
			continue
		}
		name := fieldName(f)
		if path != "" {
			name = path + "." + name
		}
		dump(name, v.Field(i), out)
	}
}

func run(name string, text []byte) (line string) {
	defer func() {
		if r := recover(); r != nil {
			line = "PANIC"
		}
	}()
	config, err := decodeConfig(text, name)
	if err != nil {
		return "ERR " + strings.ReplaceAll(err.Error(), "\n", "\\n")
	}
	var out []string
	dumpFields("", reflect.ValueOf(*config), &out)
	sort.Strings(out)
	return "OK\t" + strings.Join(out, "\t")
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for in.Scan() {
		parts := strings.SplitN(in.Text(), "\t", 2)
		text, _ := base64.StdEncoding.DecodeString(parts[1])
		fmt.Fprintln(w, run(parts[0], text))
	}
}
