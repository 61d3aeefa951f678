NC.data("search/terms/67-72",{"growing":[74,105]});
