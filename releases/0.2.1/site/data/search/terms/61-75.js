NC.data("search/terms/61-75",{"august":[40,277]});
