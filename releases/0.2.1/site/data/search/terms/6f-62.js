NC.data("search/terms/6f-62",{"obama":[10,42,114,280],"observation":[30,230],"obtained":[76,174,206]});
