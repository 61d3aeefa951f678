NC.data("search/terms/63-72",{"critical":[280]});
