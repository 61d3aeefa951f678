NC.data("search/terms/74-78",{"txt":[272,273,274,275,276]});
