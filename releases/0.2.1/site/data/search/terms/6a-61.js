NC.data("search/terms/6a-61",{"jane":[27,125,277]});
