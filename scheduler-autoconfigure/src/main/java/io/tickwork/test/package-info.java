/**
 * Support for testing applications that use Tickwork: a clock that tests move by hand.
 */
package io.tickwork.test;
