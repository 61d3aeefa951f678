NC.data("search/terms/31-30",{"10":[124,229]});
