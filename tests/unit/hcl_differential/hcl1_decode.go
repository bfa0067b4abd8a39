// The reference side of the differential check: HashiCorp's HCL1 (Debian's
// golang-github-hashicorp-hcl-dev, v1.0.0, whose scanner and parser are those of the
// v1.0.1-vault-2 CTS pins) decoding each input exactly as CTS does, hcl.Decode into a
// map[string]interface{}. One base64 input per line in, one line out: "ERR ...", "PANIC", or
// the map in the format hcl1_driver.cpp prints.
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl"
)

func dump(v interface{}) string {
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
			parts = append(parts, dump(e))
		}
		return "[" + strings.Join(parts, " ") + "]"
	case []map[string]interface{}:
		parts := []string{}
		for _, e := range t {
			parts = append(parts, dump(e))
		}
		return "[]map[" + strings.Join(parts, " ") + "]"
	case map[string]interface{}:
		parts := []string{}
		for k, e := range t {
			parts = append(parts, "s"+hex.EncodeToString([]byte(k))+":"+dump(e))
		}
		sort.Strings(parts)
		return "map[" + strings.Join(parts, " ") + "]"
	}
	return fmt.Sprintf("?%T", v)
}

func decode(text string) (out string) {
	defer func() {
		if recover() != nil {
			out = "PANIC" // Token.Value panics on some literals; CTS would crash there
		}
	}()
	var raw map[string]interface{}
	if err := hcl.Decode(&raw, text); err != nil {
		return "ERR " + strings.NewReplacer("\n", " ", "\r", " ").Replace(err.Error())
	}
	return dump(raw)
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<26)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		text, err := base64.StdEncoding.DecodeString(in.Text())
		if err != nil {
			panic(err)
		}
		fmt.Fprintln(out, decode(string(text)))
	}
}
