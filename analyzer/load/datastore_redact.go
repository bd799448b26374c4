package load

import (
	"regexp"
	"strings"
)

// Credentials never leave the loader in clear: every value a fact keeps
// goes through redact or redactEnv first.

// mask replaces a password.
const mask = "***"

// redacted replaces a whole secret value.
const redacted = "<redacted>"

// secretParam matches key=value credentials in query strings, libpq
// key=value strings, JDBC and ADO.NET connection strings. The value is a
// quoted part, if any, and what follows it up to the next separator, so
// that nothing of it is left beside the mask (and a second pass changes
// nothing).
var secretParam = regexp.MustCompile(`(?i)((?:^|[?&;,\s])(?:password|passwd|pwd|pass|sslpassword|secret|token|access_?key|secret_?key|api_?key|auth_?token)\s*=\s*)(('[^']*'|"[^"]*")?[^&;,\s]*)`)

// redact masks every credential in s: URL userinfo passwords, key=value
// passwords, and the password of the go-sql-driver/mysql user:pass@tcp(...)
// form.
func redact(s string) string {
	if s == "" {
		return s
	}
	s = redactURLs(s)
	s = redactMySQL(s)
	return secretParam.ReplaceAllString(s, "${1}"+mask)
}

// redactURLs masks the password of every scheme://user:password@ in s. The
// user information runs to the last '@' before the next blank, so a
// password holding '@', '/' or "://" is masked whole (sometimes with more).
func redactURLs(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "://")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i+3])
		s = s[i+3:]
		end := strings.IndexFunc(s, isBlankOrQuote)
		if end < 0 {
			end = len(s)
		}
		at := strings.LastIndex(s[:end], "@")
		if at < 0 {
			continue
		}
		// Everything before the last '@' is user information, even when it
		// holds "://" (a password may): masking too much is safe.
		info := s[:at]
		if c := strings.Index(info, ":"); c >= 0 && c+1 < len(info) {
			b.WriteString(info[:c+1])
			b.WriteString(mask)
		} else {
			b.WriteString(info)
		}
		b.WriteString("@")
		s = s[at+1:]
	}
}

// redactMySQL masks user:password@tcp(host)/db and user:password@/db.
func redactMySQL(s string) string {
	if strings.Contains(s, "://") {
		return s
	}
	at := mysqlAt(s)
	if at < 0 {
		return s
	}
	start := strings.LastIndexFunc(s[:at], isBlankOrQuote) + 1
	info := s[start:at]
	c := strings.Index(info, ":")
	if c < 0 || c+1 >= len(info) {
		return s
	}
	return s[:start] + info[:c+1] + mask + s[at:]
}

// mysqlAt returns the index of the '@' that ends the credentials of a
// go-sql-driver DSN, or -1.
func mysqlAt(s string) int {
	for _, proto := range []string{"@tcp(", "@tcp6(", "@unix(", "@(", "@/"} {
		if i := strings.LastIndex(s, proto); i >= 0 {
			return i
		}
	}
	return -1
}

func isBlankOrQuote(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '"' || r == '\'' || r == '`'
}

// secretWords are the name parts of variables and keys that hold secrets.
var secretWords = map[string]bool{
	"PASSWORD": true, "PASSWD": true, "PASS": true, "PWD": true, "SECRET": true, "SECRETS": true,
	"TOKEN": true, "APIKEY": true, "CREDENTIAL": true, "CREDENTIALS": true, "CREDS": true,
	"PRIVATE": true, "PASSPHRASE": true, "KEY": true, "AUTH": true,
}

// isSecretName reports whether a variable or key name looks like it holds a
// credential (DB_PASSWORD, apiKey, JWT_SECRET, ...).
func isSecretName(name string) bool {
	words := strings.FieldsFunc(camelToSnake(name), func(r rune) bool { return r == '_' || r == '.' || r == '-' })
	for _, w := range words {
		w = strings.ToUpper(w)
		if secretWords[w] || strings.HasSuffix(w, "PASSWORD") || strings.HasSuffix(w, "SECRET") || strings.HasSuffix(w, "TOKEN") {
			return true
		}
	}
	return false
}

// camelToSnake turns apiKey into api_Key; other names are unchanged.
func camelToSnake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && r >= 'A' && r <= 'Z' && s[i-1] >= 'a' && s[i-1] <= 'z' {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// redactEnv is the value a fact keeps for one environment variable or
// config key: connection strings with their passwords masked, secret values
// replaced whole.
func redactEnv(name, value, from string) string {
	if value == "" {
		return ""
	}
	if looksLikeDSN(value) {
		return redact(value)
	}
	if isSecretName(name) || strings.HasPrefix(from, "secret:") {
		return redacted
	}
	return redact(value)
}
