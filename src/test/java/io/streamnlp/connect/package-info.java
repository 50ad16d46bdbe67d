/**
 * The enriched topic taken onward by Kafka Connect: a real standalone worker with Debezium's JDBC
 * sink into PostgreSQL (docs/CONNECT-POSTGRES.md), and the converter it reads our records with.
 */
package io.streamnlp.connect;
