NC.data("search/terms/6b-65",{"keep":[29,64,279],"key":[207,276]});
