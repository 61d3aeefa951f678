NC.data("search/terms/71-75",{"question":[126,273]});
