NC.data("search/terms/70-73",{"psaki":[27]});
