// editor interop
