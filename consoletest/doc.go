// Package consoletest drives the web console (package console) in a real browser, against
// whole servers (node/nodetest): Debian's chromium, headless, through the DevTools protocol
// (chromedp). Its tests sign in, follow pages as they change, post the forms a person would
// and check what the page then says; they save screenshots for the README when asked
// (SLUICE_SCREENSHOTS=1). The package has tests only.
package consoletest
