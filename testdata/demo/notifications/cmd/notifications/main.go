package main

import "log"

func main() {
	log.Println("notifications: consuming order events")
}
