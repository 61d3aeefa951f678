NC.data("preview/rejects",{"columns":["source_file","reason","detail","raw_sha256","n_bytes"],"rows":[]});
