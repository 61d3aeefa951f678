NC.data("search/terms/63-75",{"culture":[132,250,276],"current":[157],"currently":[31,276,277,279]});
