"""Releases: publishing a built dataset as a versioned release, its browse page, and downloading one."""
