"""Serve: the command line, the web reader and the JSON API, thin layers over the library."""
