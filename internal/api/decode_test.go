package api

import (
	"encoding/json"
	"testing"
)

// The shortcuts for plain strings and integers must read exactly what
// encoding/json reads, and step aside for everything else.
func TestPlainValuesDecodeLikeEncodingJSON(t *testing.T) {
	strs := []string{`""`, `"abc"`, `"Ethernet1/1"`, `"é ü 漢"`, `"a\"b"`, `"a\\b"`, `"\u00e9"`, `"tab\there"`, "\"bad\xffutf8\"", `"<&>"`}
	for _, raw := range strs {
		var want string
		if err := json.Unmarshal([]byte(raw), &want); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		if got, ok := plainString([]byte(raw)); ok && got != want {
			t.Errorf("plainString(%s) = %q, encoding/json reads %q", raw, got, want)
		}
	}
	for _, raw := range []string{`"abc"`, `""`, `"x y"`} {
		if _, ok := plainString([]byte(raw)); !ok {
			t.Errorf("plainString(%s) took the slow path", raw)
		}
	}
	for _, raw := range []string{`12`, `"abc`, `abc"`, `"a\nb"`, `null`} {
		if _, ok := plainString([]byte(raw)); ok {
			t.Errorf("plainString(%s) accepted a value it must leave to the decoder", raw)
		}
	}
	ints := map[string]int64{`0`: 0, `-7`: -7, `9223372036854775807`: 9223372036854775807, `"42"`: 42, `1e3`: 1000, `12.0`: 12}
	for raw, want := range ints {
		if got, err := decodeInt(json.RawMessage(raw)); err != nil || got != want {
			t.Errorf("decodeInt(%s) = %d, %v; want %d", raw, got, err, want)
		}
	}
	for _, raw := range []string{`1.5`, `"x"`, `true`, `9223372036854775808`} {
		if got, err := decodeInt(json.RawMessage(raw)); err == nil {
			t.Errorf("decodeInt(%s) = %d, want an error", raw, got)
		}
	}
}

// A list body whose items are not all objects still names the bad item.
func TestListBodyNamesTheItemThatIsNotAnObject(t *testing.T) {
	for body, want := range map[string]string{
		`[{"a":1},null]`:      "Item 1: Invalid data. Expected a dictionary, but got null.",
		`[{"a":1},{"b":2},3]`: "Item 2: Invalid data. Expected a dictionary, but got number.",
		`[{"a":1},"x"]`:       "Item 1: Invalid data. Expected a dictionary, but got str.",
	} {
		_, list, err := parseBody([]byte(body))
		if err == nil || err.Error() != want || !list {
			t.Errorf("parseBody(%s) = %v (list %v), want %q", body, err, list, want)
		}
	}
	objs, list, err := parseBody([]byte(`[{"a":1},{"b":"x"}]`))
	if err != nil || !list || len(objs) != 2 || string(objs[1]["b"]) != `"x"` {
		t.Errorf("parseBody of two objects = %v, %v, %v", objs, list, err)
	}
}
