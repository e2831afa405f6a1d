/** Watching the JVM a job runs in: CPU time and heap ({@link sparktrain.runtime.RunWatch}). */
package sparktrain.runtime;
