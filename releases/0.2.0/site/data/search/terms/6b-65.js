NC.data("search/terms/6b-65",{"keep":[29,61,275],"key":[44,272]});
