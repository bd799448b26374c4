// Package logging is a shared utility: using it couples nobody.
package logging

import "log"

// Info logs an informational message.
func Info(msg string) { log.Println("INFO " + msg) }
