NC.data("search/terms/65-6c",{"elect":[63,221,275],"election":[91,95],"elections":[63,125,221,275],"elements":[31,116,273],"eliminate":[31,37,154,272,273]});
