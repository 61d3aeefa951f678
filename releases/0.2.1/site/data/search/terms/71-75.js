NC.data("search/terms/71-75",{"question":[125,185,277]});
