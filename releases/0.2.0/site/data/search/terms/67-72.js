NC.data("search/terms/67-72",{"growing":[71,138]});
