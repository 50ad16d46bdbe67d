/**
 * Personal data in a text, found and redacted (opt-in: {@code pii.detect}, {@code pii.redact}):
 * pattern detectors (e-mail addresses, phone numbers through libphonenumber, Luhn-checked payment
 * cards, mod-97-checked IBANs, IPv4/IPv6 addresses, URLs carrying credentials or tokens) beside the
 * NER head's person and place spans; overlapping findings merged; the redacted text with a mask per
 * span ({@code [EMAIL]}, {@code ****}, or a keyed HMAC so joins still work).
 *
 * <p>May import {@code model} only. No Kafka type: the fan-out and the dead-letter stage call it.
 * (Held by {@code ArchitectureTest} against the packages table of {@code docs/ARCHITECTURE.md}.)
 */
package io.streamnlp.pii;
