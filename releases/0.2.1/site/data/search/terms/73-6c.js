NC.data("search/terms/73-6c",{"slated":[124,229]});
