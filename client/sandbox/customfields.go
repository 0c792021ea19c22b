package sandbox

import "strings"

// Custom fields (FieldData) of partnerships and customers.

func cloneFields(f []Field) []Field {
	out := make([]Field, len(f))
	for i, x := range f {
		out[i] = Field{APIName: x.APIName, Name: x.Name, Value: cloneJSON(x.Value)}
	}
	return out
}

// fieldName turns an api_name into a display name: company_name -> Company Name.
func fieldName(api string) string {
	words := strings.FieldsFunc(api, func(r rune) bool { return r == '_' || r == '-' })
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

// setFields merges values written via meta / fields into a field list,
// keeping first-seen order and replacing values of existing api_names.
func setFields(fields []Field, values map[string]any, order []string) []Field {
	for _, k := range order {
		v := values[k]
		replaced := false
		for i := range fields {
			if fields[i].APIName == k {
				fields[i].Value = v
				replaced = true
				break
			}
		}
		if !replaced {
			fields = append(fields, Field{APIName: k, Name: fieldName(k), Value: v})
		}
	}
	return fields
}
