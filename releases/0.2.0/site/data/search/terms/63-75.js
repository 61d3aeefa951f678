NC.data("search/terms/63-75",{"culture":[134,244,272],"current":[222],"currently":[31,272,273,275]});
