-- wrk's summary as one JSON line (the bench reads the last line of wrk's output).
-- Request headers come from the command line (-H); latencies are in microseconds.
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "non_2xx": %d, "connect_errors": %d, "read_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, errors.status, errors.connect, errors.read,
    errors.timeout))
end
