package faketelegram

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
)

// readParams reads a form-encoded, multipart or JSON request (and the
// query string) into parameters: form values stay formValue strings, JSON
// values are decoded with numbers kept exact. The literal "null" is absent.
func readParams(r *http.Request) (map[string]any, map[string]File, error) {
	params := map[string]any{}
	files := map[string]File{}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "application/json" {
		dec := json.NewDecoder(r.Body)
		dec.UseNumber()
		var body map[string]any
		if err := dec.Decode(&body); err != nil {
			return nil, nil, fmt.Errorf("bad JSON body: %v", err)
		}
		for k, v := range body {
			if v != nil {
				params[k] = v
			}
		}
	} else {
		if ct == "multipart/form-data" {
			if err := r.ParseMultipartForm(1 << 20); err != nil {
				return nil, nil, fmt.Errorf("bad multipart body: %v", err)
			}
			for k, fhs := range r.MultipartForm.File {
				if len(fhs) != 1 {
					return nil, nil, fmt.Errorf("file %s given %d times", k, len(fhs))
				}
				f, err := fhs[0].Open()
				if err != nil {
					return nil, nil, fmt.Errorf("file %s: %v", k, err)
				}
				data, err := io.ReadAll(f)
				f.Close()
				if err != nil {
					return nil, nil, fmt.Errorf("file %s: %v", k, err)
				}
				files[k] = File{Name: fhs[0].Filename, Data: data}
				params[k] = formValue("<uploaded " + fhs[0].Filename + ">") // an InputFile
			}
		} else if err := r.ParseForm(); err != nil {
			return nil, nil, fmt.Errorf("bad form body: %v", err)
		}
		for k, vs := range r.Form {
			if len(vs) > 1 {
				return nil, nil, fmt.Errorf("parameter %s given %d times", k, len(vs))
			}
			if vs[0] != "null" {
				params[k] = formValue(vs[0])
			}
		}
	}
	return params, files, nil
}

// validate checks params against the current Bot API and notes those that
// Bot API 5.5 lacks. Missing or mistyped parameters are answered with 400,
// as Telegram does; unknown ones are ignored by Telegram but recorded.
func (s *Server) validate(method string, params map[string]any) *reply {
	if s.current == nil {
		return nil
	}
	m, ok := s.current.Methods[method]
	if !ok {
		s.violate("%s: no such method in the Bot API", method)
		rep := fail(404, "Not Found")
		return &rep
	}
	old, hasOld := s.v55.Methods[method]
	for name, v := range params {
		f, ok := m.field(name)
		if !ok {
			s.violate("%s: unknown parameter %s", method, name)
			continue
		}
		if hasOld {
			if _, ok := old.field(name); !ok {
				s.mu.Lock()
				s.newer[method+"."+name] = true
				s.mu.Unlock()
			}
		}
		if err := s.current.checkParam(f.Types, v); err != nil {
			s.violate("%s: parameter %s: %v", method, name, err)
			rep := fail(400, fmt.Sprintf("Bad Request: can't parse %s: %v", name, err))
			return &rep
		}
	}
	for _, f := range m.Fields {
		if _, ok := params[f.Name]; f.Required && !ok {
			s.violate("%s: missing required parameter %s", method, f.Name)
			rep := fail(400, "Bad Request: "+f.Name+" is empty")
			return &rep
		}
	}
	return nil
}

// str returns a parameter as text: a form string or a JSON scalar.
func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case formValue:
		return string(x)
	case string:
		return x
	case json.Number:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// object decodes a parameter that holds a JSON object or array.
func object(v any, into any) error {
	var b []byte
	switch x := v.(type) {
	case formValue:
		b = []byte(x)
	default:
		var err error
		if b, err = json.Marshal(x); err != nil {
			return err
		}
	}
	return json.Unmarshal(b, into)
}
