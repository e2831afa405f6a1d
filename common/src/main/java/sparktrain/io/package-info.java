/**
 * Reading and writing files the project's way: {@link sparktrain.io.HadoopFiles} (atomic writes and
 * renames on any Hadoop file system: local, HDFS, S3A) and {@link sparktrain.io.Json} (the one JSON
 * mapper, snake_case keys).
 */
package sparktrain.io;
