# Call-events producer and consumer (W6, W7): binaries and their checks.
